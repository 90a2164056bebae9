from ui.main import main

main()
