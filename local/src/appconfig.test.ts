import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AppConfigDataClient,
  BadRequestException,
  GetLatestConfigurationCommand,
  ResourceNotFoundException,
  StartConfigurationSessionCommand,
} from "@aws-sdk/client-appconfigdata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalAppConfig, startLocalAppConfig } from "./appconfig";

const IDS = { application: "questline-local", environment: "local", profile: "feature-flags" };
let dir: string;
let file: string;
let appconfig: LocalAppConfig;
let client: AppConfigDataClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ql-appconfig-"));
  file = join(dir, "flags.json");
  writeFileSync(file, JSON.stringify({ flags: { a: { enabled: true } } }));
  appconfig = await startLocalAppConfig({ file, ...IDS });
  client = new AppConfigDataClient({
    endpoint: appconfig.endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await appconfig.stop();
  rmSync(dir, { recursive: true, force: true });
});

const session = () =>
  client.send(
    new StartConfigurationSessionCommand({
      ApplicationIdentifier: IDS.application,
      EnvironmentIdentifier: IDS.environment,
      ConfigurationProfileIdentifier: IDS.profile,
    }),
  );
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array());

describe("the local AppConfig data API (AWS SDK client against the stand-in)", () => {
  it("serves the file, then an empty body while it is unchanged, then the edited file", async () => {
    const { InitialConfigurationToken } = await session();
    expect(InitialConfigurationToken).toEqual(expect.any(String));
    const first = await client.send(
      new GetLatestConfigurationCommand({ ConfigurationToken: InitialConfigurationToken }),
    );
    expect(JSON.parse(text(first.Configuration))).toEqual({ flags: { a: { enabled: true } } });
    expect(first.ContentType).toBe("application/json");
    expect(first.NextPollIntervalInSeconds).toBe(60);
    expect(first.VersionLabel).toMatch(/^[0-9a-f]{16}$/);

    const second = await client.send(
      new GetLatestConfigurationCommand({ ConfigurationToken: first.NextPollConfigurationToken }),
    );
    expect(second.Configuration?.length ?? 0).toBe(0);
    expect(second.NextPollConfigurationToken).not.toBe(first.NextPollConfigurationToken);

    writeFileSync(file, JSON.stringify({ flags: { a: { enabled: false } } }));
    const third = await client.send(
      new GetLatestConfigurationCommand({ ConfigurationToken: second.NextPollConfigurationToken }),
    );
    expect(JSON.parse(text(third.Configuration))).toEqual({ flags: { a: { enabled: false } } });
    expect(third.VersionLabel).not.toBe(first.VersionLabel);
  });

  it("gives a new session the current content at once", async () => {
    const { InitialConfigurationToken } = await session();
    const got = await client.send(new GetLatestConfigurationCommand({ ConfigurationToken: InitialConfigurationToken }));
    expect(text(got.Configuration)).toContain('"flags"');
  });

  it("refuses unknown identifiers (404) and unknown or used tokens (400) as AppConfig does", async () => {
    await expect(
      client.send(
        new StartConfigurationSessionCommand({
          ApplicationIdentifier: IDS.application,
          EnvironmentIdentifier: "prod",
          ConfigurationProfileIdentifier: IDS.profile,
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      client.send(new GetLatestConfigurationCommand({ ConfigurationToken: "not-a-token" })),
    ).rejects.toBeInstanceOf(BadRequestException);
    // A token is good for one call: the next one must use NextPollConfigurationToken.
    const { InitialConfigurationToken } = await session();
    await client.send(new GetLatestConfigurationCommand({ ConfigurationToken: InitialConfigurationToken }));
    await expect(
      client.send(new GetLatestConfigurationCommand({ ConfigurationToken: InitialConfigurationToken })),
    ).rejects.toBeInstanceOf(BadRequestException);
  });
});
