from infralint.entry import main

main()
