from organizer.main import main

main()
