import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type NamingScope, resourceName } from "../naming.js";
import type { RegionalTable } from "./access-statements.js";

export interface DataTablesArgs {
  primary: NamingScope;
  replicaRegion: string;
  keyArnByRegion: Record<string, pulumi.Input<string>>;
  deletionProtection: boolean;
}

/** GSIs of aws-core's single-table design. */
export const MAIN_TABLE_INDEXES = ["gsi1", "gsi2"] as const;

function requireKey(keys: Record<string, pulumi.Input<string>>, region: string): pulumi.Input<string> {
  const key = keys[region];
  if (!key) throw new Error(`no KMS key for region ${region}`);
  return key;
}

/**
 * The DynamoDB global tables: aws-core's single table (pk/sk, gsi1, gsi2, TTL `ttl`, stream
 * NEW_AND_OLD_IMAGES) and the Powertools idempotency table (id, TTL `expiration`). Both
 * on-demand, PITR on, encrypted with the customer-managed key, replicated to the replica region.
 */
export class DataTables extends pulumi.ComponentResource {
  readonly mainTable: aws.dynamodb.Table;
  readonly idempotencyTable: aws.dynamodb.Table;

  constructor(
    name: string,
    private readonly args: DataTablesArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("questline:aws:DataTables", name, {}, opts);
    const primaryKey = requireKey(args.keyArnByRegion, args.primary.region);
    const replicaKey = requireKey(args.keyArnByRegion, args.replicaRegion);
    const common = {
      billingMode: "PAY_PER_REQUEST",
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: primaryKey },
      deletionProtectionEnabled: args.deletionProtection,
      replicas: [
        {
          regionName: args.replicaRegion,
          kmsKeyArn: replicaKey,
          pointInTimeRecovery: true,
          propagateTags: true,
          deletionProtectionEnabled: args.deletionProtection,
        },
      ],
    };
    const protect = { parent: this, protect: args.deletionProtection };

    this.mainTable = new aws.dynamodb.Table(
      resourceName(args.primary, "main"),
      {
        ...common,
        name: resourceName(args.primary, "main"),
        hashKey: "pk",
        rangeKey: "sk",
        attributes: [
          { name: "pk", type: "S" },
          { name: "sk", type: "S" },
          { name: "gsi1pk", type: "S" },
          { name: "gsi1sk", type: "S" },
          { name: "gsi2pk", type: "S" },
          { name: "gsi2sk", type: "S" },
        ],
        globalSecondaryIndexes: MAIN_TABLE_INDEXES.map((index) => ({
          name: index,
          hashKey: `${index}pk`,
          rangeKey: `${index}sk`,
          projectionType: "ALL",
        })),
        ttl: { attributeName: "ttl", enabled: true },
        // Global tables require streams; the stream handler consumes the same stream.
        streamEnabled: true,
        streamViewType: "NEW_AND_OLD_IMAGES",
      },
      protect,
    );

    this.idempotencyTable = new aws.dynamodb.Table(
      resourceName(args.primary, "idempotency"),
      {
        ...common,
        name: resourceName(args.primary, "idempotency"),
        hashKey: "id",
        attributes: [{ name: "id", type: "S" }],
        ttl: { attributeName: "expiration", enabled: true },
        streamEnabled: true,
        streamViewType: "NEW_AND_OLD_IMAGES",
      },
      protect,
    );

    this.registerOutputs({ mainTableName: this.mainTable.name, idempotencyTableName: this.idempotencyTable.name });
  }

  /** The copy of the main table (and its stream) that lives in `region`. */
  mainTableIn(region: string): RegionalTable {
    return regionalCopy(this.mainTable, region, this.args.primary.region, [...MAIN_TABLE_INDEXES]);
  }

  idempotencyTableIn(region: string): RegionalTable {
    return regionalCopy(this.idempotencyTable, region, this.args.primary.region, []);
  }
}

function regionalCopy(
  table: aws.dynamodb.Table,
  region: string,
  primaryRegion: string,
  indexNames: string[],
): RegionalTable {
  if (region === primaryRegion) {
    return { name: table.name, arn: table.arn, streamArn: table.streamArn, indexNames };
  }
  const replica = table.replicas.apply((replicas) => {
    const match = replicas?.find((r) => r.regionName === region);
    if (!match) throw new Error(`table has no replica in ${region}`);
    return match;
  });
  return { name: table.name, arn: replica.arn, streamArn: replica.streamArn, indexNames };
}
