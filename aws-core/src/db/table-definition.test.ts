import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { dynamoClient, tableName } from "./client";

describe("main table (DynamoDB Local)", () => {
  it("exists with streams, both GSIs and the pk/sk key schema", async () => {
    const { Table } = await dynamoClient().send(new DescribeTableCommand({ TableName: tableName() }));
    expect(Table?.KeySchema?.map((k) => k.AttributeName)).toEqual(["pk", "sk"]);
    expect(Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort()).toEqual(["gsi1", "gsi2"]);
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" });
  });
});
