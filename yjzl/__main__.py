from yjzl.cli.main import main

main()
