import { ensureUser, ensureWorkspace } from "@questline/aws-core/ops";
import {
  type CreateLearningPathInput,
  IDEMPOTENCY_KEY_HEADER,
  identityToHeaders,
  REQUEST_ID_HEADER,
} from "@questline/contracts";
import { LOCAL_CLIENT_IDS, LOCAL_COGNITO } from "@questline/local";
import { AwsClient } from "aws4fetch";

/** The demo tenant every local stack seeds (fixed ids, so a restart finds the same records). */
export const DEMO = {
  accountId: "QLdemoAcc1",
  accountName: "Questline Demo",
  workspaceId: "QLdemoWS01",
  workspaceName: "Demo workspace",
  adminUserId: "demo_admin_user_00001",
  memberUserId: "demo_member_user_0001",
} as const;

type DemoLearningPath = Pick<
  CreateLearningPathInput,
  "learningPathId" | "title" | "description" | "estimatedDuration" | "defaultLang" | "translations" | "tags"
>;

export const DEMO_LEARNING_PATHS: DemoLearningPath[] = [
  {
    learningPathId: "demo-lp-onboarding",
    title: "Welcome to Questline",
    description: "A short tour of missions, rewards and streaks.",
    estimatedDuration: 10,
    defaultLang: "en",
    translations: [
      { lang: "en", title: "Welcome to Questline", description: "A short tour of missions, rewards and streaks." },
      { lang: "it", title: "Benvenuti in Questline", description: "Un breve giro tra missioni, premi e serie." },
    ],
    tags: ["demo"],
  },
  {
    learningPathId: "demo-lp-sustainability",
    title: "Sustainability basics",
    description: "Energy, water and waste: small habits with a big effect.",
    estimatedDuration: 25,
    defaultLang: "en",
    translations: [{ lang: "en", title: "Sustainability basics" }],
    tags: ["demo"],
  },
];

/** Account, workspace and the two demo users, straight into DynamoDB (idempotent). */
export async function seedDemoTenancy(): Promise<void> {
  await ensureWorkspace({
    workspaceId: DEMO.workspaceId,
    accountId: DEMO.accountId,
    accountName: DEMO.accountName,
    name: DEMO.workspaceName,
    defaultLang: "en",
    allowedClientIds: [...LOCAL_CLIENT_IDS],
  });
  await ensureUser({
    workspaceId: DEMO.workspaceId,
    userId: DEMO.adminUserId,
    role: "admin",
    context: "dashboard",
    displayName: "Demo Admin",
  });
  await ensureUser({
    workspaceId: DEMO.workspaceId,
    userId: DEMO.memberUserId,
    externalId: "demo-member",
    context: "app",
    displayName: "Demo Member",
    timezone: "Europe/Rome",
  });
}

/**
 * Creates the demo learning paths through the local gateway, signed like the api worker signs
 * (SigV4 + identity headers). A path that already exists (409) is fine. With `tolerateMissingRoute`
 * a 404 is reported instead of thrown (while the api handler is still being written).
 */
export async function seedDemoContent(options: {
  gatewayUrl: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  tolerateMissingRoute: boolean;
  log: (line: string) => void;
}): Promise<void> {
  const signer = new AwsClient({ ...options.credentials, service: "execute-api", region: options.region, retries: 0 });
  const identity = identityToHeaders({
    workspaceId: DEMO.workspaceId,
    accountId: DEMO.accountId,
    userId: DEMO.adminUserId,
    role: "admin",
    context: "dashboard",
    clientId: LOCAL_COGNITO.clients.dashboard,
    scopes: [],
  });
  for (const path of DEMO_LEARNING_PATHS) {
    const res = await signer.fetch(`${options.gatewayUrl}/dashboard/learning-paths`, {
      method: "POST",
      headers: {
        ...identity,
        "content-type": "application/json",
        [REQUEST_ID_HEADER]: `seed-${path.learningPathId}`,
        [IDEMPOTENCY_KEY_HEADER]: `seed-${path.learningPathId}`,
      },
      body: JSON.stringify({ ...path, publish: true }),
    });
    const text = await res.text();
    if (res.ok || res.status === 409) continue;
    if (res.status === 404 && options.tolerateMissingRoute) {
      options.log(`seed: POST /dashboard/learning-paths answered 404; demo content skipped`);
      return;
    }
    throw new Error(`seeding learning path ${path.learningPathId} failed: HTTP ${res.status} ${text.slice(0, 500)}`);
  }
}
