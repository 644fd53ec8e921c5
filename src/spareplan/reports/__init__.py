"""Charts and workbooks that show a plan, a simulation or a backtest to people."""
