from poalint.cli import main

main()
