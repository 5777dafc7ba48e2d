import { describe, expect, it } from "vitest";
import { demoEnabled, EnvError, parseEnv } from "./env";

describe("environment", () => {
  it("works with no configuration at all in development", () => {
    const e = parseEnv({});
    expect(e.NODE_ENV).toBe("development");
    expect(e.DATABASE_URL).toBeUndefined();
    expect(e.PGLITE_DATA_DIR).toBe(".data/pglite");
    expect(e.SANDBOX_ENABLED).toBe(true);
    expect(e.APP_URL).toBe("http://localhost:3000");
    expect(Buffer.from(e.CAISSE_ENCRYPTION_KEY, "base64")).toHaveLength(32);
  });

  it("takes an smtp:// or smtps:// SMTP_URL and refuses anything else at its name", () => {
    expect(parseEnv({}).SMTP_URL).toBeUndefined();
    expect(parseEnv({ SMTP_URL: "" }).SMTP_URL).toBeUndefined();
    expect(parseEnv({ SMTP_URL: "smtps://user:secret@smtp.example.net:465" }).SMTP_URL).toBe("smtps://user:secret@smtp.example.net:465");
    expect(parseEnv({}).MAIL_FROM).toBe("Caisse <no-reply@caisse.localhost>");
    expect(() => parseEnv({ SMTP_URL: "https://smtp.example.net" })).toThrow(/SMTP_URL/);
  });

  it("refuses production without its secrets, naming each variable", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(EnvError);
    try {
      parseEnv({ NODE_ENV: "production" });
    } catch (error) {
      expect((error as Error).message).toMatch(/NEXTAUTH_SECRET is required in production/);
      expect((error as Error).message).toMatch(/CAISSE_ENCRYPTION_KEY is required in production/);
    }
  });

  it("turns the sandbox off in production unless asked", () => {
    const secrets = { NEXTAUTH_SECRET: "x".repeat(32), CAISSE_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64") };
    expect(parseEnv({ NODE_ENV: "production", ...secrets }).SANDBOX_ENABLED).toBe(false);
    expect(parseEnv({ NODE_ENV: "production", SANDBOX_ENABLED: "true", ...secrets }).SANDBOX_ENABLED).toBe(true);
  });

  it("has the demo (seeded data, login hint) only in development or when SEED_ON_START=true is said", () => {
    const secrets = { NEXTAUTH_SECRET: "x".repeat(32), CAISSE_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64") };
    expect(demoEnabled(parseEnv({}))).toBe(true);
    expect(demoEnabled(parseEnv({ NODE_ENV: "development" }))).toBe(true);
    expect(demoEnabled(parseEnv({ NODE_ENV: "development", SEED_ON_START: "false" }))).toBe(false);
    expect(demoEnabled(parseEnv({ NODE_ENV: "test" }))).toBe(false);
    // The sandbox being on says nothing about demo accounts.
    expect(demoEnabled(parseEnv({ NODE_ENV: "production", SANDBOX_ENABLED: "true", ...secrets }))).toBe(false);
    expect(demoEnabled(parseEnv({ NODE_ENV: "production", SEED_ON_START: "true", ...secrets }))).toBe(true);
    expect(parseEnv({}).SEED_ON_START).toBeUndefined();
  });

  it("names the variable that is malformed", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must be a postgres/);
    expect(() => parseEnv({ CAISSE_ENCRYPTION_KEY: "short" })).toThrow(/CAISSE_ENCRYPTION_KEY must be 32 bytes/);
    expect(() => parseEnv({ CINETPAY_API_URL: "not a url" })).toThrow(/CINETPAY_API_URL/);
    expect(() => parseEnv({ SANDBOX_ENABLED: "maybe" })).toThrow(/SANDBOX_ENABLED/);
  });

  it("trusts no proxy hop unless told how many proxies stand in front", () => {
    expect(parseEnv({}).TRUSTED_PROXY_HOPS).toBe(0);
    expect(parseEnv({ TRUSTED_PROXY_HOPS: "2" }).TRUSTED_PROXY_HOPS).toBe(2);
    expect(() => parseEnv({ TRUSTED_PROXY_HOPS: "-1" })).toThrow(/TRUSTED_PROXY_HOPS/);
    expect(() => parseEnv({ TRUSTED_PROXY_HOPS: "one" })).toThrow(/TRUSTED_PROXY_HOPS/);
  });

  it("takes SANDBOX_ORIGIN as an origin apart from APP_URL's, and nothing else", () => {
    expect(parseEnv({}).SANDBOX_ORIGIN).toBeUndefined();
    expect(parseEnv({ SANDBOX_ORIGIN: "" }).SANDBOX_ORIGIN).toBeUndefined();
    expect(parseEnv({ SANDBOX_ORIGIN: "https://Sandbox.Caisse-Test.example/" }).SANDBOX_ORIGIN).toBe("https://sandbox.caisse-test.example");
    expect(parseEnv({ SANDBOX_ORIGIN: "http://127.0.0.1:3001" }).SANDBOX_ORIGIN).toBe("http://127.0.0.1:3001");
    expect(() => parseEnv({ SANDBOX_ORIGIN: "javascript:alert(1)" })).toThrow(/SANDBOX_ORIGIN/);
    expect(() => parseEnv({ SANDBOX_ORIGIN: "https://sandbox.example/sandbox" })).toThrow(/SANDBOX_ORIGIN must be an origin/);
    expect(() => parseEnv({ APP_URL: "https://caisse.example/", SANDBOX_ORIGIN: "https://caisse.example" })).toThrow(/SANDBOX_ORIGIN must differ from APP_URL/);
    expect(() => parseEnv({ SANDBOX_ORIGIN: "http://localhost:3000" })).toThrow(/SANDBOX_ORIGIN must differ from APP_URL/);
  });

  it("treats an empty DATABASE_URL as unset and strips a trailing slash from APP_URL", () => {
    const e = parseEnv({ DATABASE_URL: "", APP_URL: "https://pay.example.com/" });
    expect(e.DATABASE_URL).toBeUndefined();
    expect(e.APP_URL).toBe("https://pay.example.com");
  });
});
