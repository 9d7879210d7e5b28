from budgetkit.cli import main

raise SystemExit(main())
