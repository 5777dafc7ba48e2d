export const NEW_PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/**
 * Passwords of ten characters or more that lists of leaked passwords put near the top, in French
 * and English, and the app's own name: refused whatever their case. Small on purpose (no
 * dictionary shipped); length does the rest.
 */
const COMMON = new Set([
  "0123456789", "1234567890", "0987654321", "12345678910", "123456789a", "1234567890a", "a123456789", "1q2w3e4r5t", "1qaz2wsx3edc",
  "qwertyuiop", "azertyuiop", "qwerty1234", "azerty1234", "qwerty12345", "azerty12345", "asdfghjkl1", "zxcvbnm123", "password12",
  "password123", "password1234", "passw0rd123", "motdepasse", "motdepasse1", "motdepasse123", "iloveyou12", "jetaime123",
  "football123", "soleil1234", "bonjour123", "welcome123", "letmein123", "admin12345", "administrator", "changeme123",
  "caisse1234", "caisse12345", "abcdefghij", "abc1234567", "aaaaaaaaaa", "1111111111", "0000000000", "1234512345", "1122334455",
]);

/**
 * The strength rule for every new password: 10 to 200 characters, not one character repeated,
 * not in the list above, and not the account's own e-mail, nor the part before its @ with at most three characters added.
 */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < NEW_PASSWORD_MIN) return "password_too_short";
  if (password.length > PASSWORD_MAX) return "too_long";
  const lower = password.toLowerCase();
  const local = email.toLowerCase().split("@")[0] ?? "";
  if (COMMON.has(lower) || new Set(lower).size === 1 || lower === email.toLowerCase() || (local.length >= 4 && lower.includes(local) && lower.length - local.length < 4)) {
    return "password_common";
  }
  return null;
}
