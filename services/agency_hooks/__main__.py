import sys

from services.chassis.launch import main

main(["agency_hooks", *sys.argv[1:]])
