// Initiates the replica set rs0 (once) and creates or updates the application user;
// run by the mongo-init job, safe to run again. Passwords are read from the secrets.
const fs = require("fs");
const secret = (name) => fs.readFileSync(`/run/secrets/${name}`, "utf8").trim();

const MEMBERS = ["mongo-1:27017", "mongo-2:27017", "mongo-3:27017"];
// Each Aduan service owns one database, aduan_<service> (docs/architecture.md).
const OWNERS = [
  "gateway", "intake", "triage", "dispatch", "sla", "reporting", "sms", "social",
  "lapor", "desk", "whatsapp", "agency_hooks", "staff_notices",
];

db.getSiblingDB("admin").auth("root", secret("mongo_root_password"));

let initiated = true;
try {
  rs.status();
} catch (error) {
  if (error.codeName !== "NotYetInitialized") throw error;
  initiated = false;
}
if (!initiated) {
  rs.initiate({
    _id: "rs0",
    members: MEMBERS.map((host, index) => ({ _id: index, host, priority: index === 0 ? 2 : 1 })),
  });
  print("replica set rs0 initiated");
}

let primary = null;
for (let attempt = 0; attempt < 120 && !primary; attempt++) {
  const member = rs.status().members.find((m) => m.stateStr === "PRIMARY");
  if (member) primary = member.name;
  else sleep(1000);
}
if (!primary) throw new Error("rs0 has no primary after 120 s");

const admin = connect(`mongodb://${primary}/admin?directConnection=true`);
admin.auth("root", secret("mongo_root_password"));
const roles = OWNERS.map((owner) => ({ role: "readWrite", db: `aduan_${owner}` }));
const pwd = secret("mongo_app_password");
if (admin.getUser("aduan")) admin.updateUser("aduan", { pwd, roles });
else admin.createUser({ user: "aduan", pwd, roles });
print(`rs0 ready (primary ${primary}); user aduan may read and write ${roles.length} databases`);
