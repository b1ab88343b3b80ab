from services.chassis.launch import main

main(["social"])
