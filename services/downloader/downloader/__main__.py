from downloader.main import main

main()
