import bcrypt from "bcryptjs";

const COST = 11;
// Compared against when the e-mail is unknown, so a miss costs as much as a wrong password.
const DUMMY_HASH = "$2b$11$W8nxVmtRTDnOsoPTXv0Fuu9u55pJ2PO0IGR6yu2kP6FNt5PfKfgm6";

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
  return ok && Boolean(hash);
}
