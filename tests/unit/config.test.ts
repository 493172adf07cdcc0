import { describe, expect, it } from "vitest";
import { ConfigError, configFromEnvironment } from "../../server/config";

describe("DATABASE_URL", () => {
  it("leaves the embedded SQLite store in place when unset", () => {
    const config = configFromEnvironment({} as unknown as NodeJS.ProcessEnv, "none");
    expect(config.databaseUrl).toBeUndefined();
    expect(config.databasePath).toBe("./data/caucus.db");
  });

  it("accepts postgres:// and postgresql:// URLs", () => {
    for (const url of ["postgres://caucus@db.internal:5432/caucus", "postgresql://caucus:secret@127.0.0.1/caucus"]) {
      expect(configFromEnvironment({ DATABASE_URL: url } as unknown as NodeJS.ProcessEnv, "none").databaseUrl).toBe(
        url,
      );
    }
  });

  it("refuses anything else with a message naming the variable", () => {
    for (const url of ["mysql://db/caucus", "./data/caucus.db", "postgres://", ""]) {
      expect(() => configFromEnvironment({ DATABASE_URL: url } as unknown as NodeJS.ProcessEnv, "none")).toThrow(
        ConfigError,
      );
    }
    expect(() => configFromEnvironment({ DATABASE_URL: "mysql://db" } as unknown as NodeJS.ProcessEnv, "none")).toThrow(
      /DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
  });
});
