"""`python -m presskit` runs the same command line as `presskit`."""

from presskit.cli import main

if __name__ == "__main__":
    main(prog_name="presskit")
