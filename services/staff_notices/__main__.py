from services.chassis.launch import main

main(["staff_notices"])
