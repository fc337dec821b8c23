/**
 * Per-user state lives in the user's own partition `WS#<ws>#USER#<userId>`:
 *   BAL#<currencyId>                 virtual balance
 *   VTX#<virtualTransactionId>       ledger entry (gsi1: <userPk>#VTX / <createdAt>#<id>)
 *   M#<missionId>, MLOG#..., ALOG#..., BADGE#..., BLOG#...   (see docs/gamification.md)
 */
export function userStatePk(workspaceId: string, userId: string): string {
  return `WS#${workspaceId}#USER#${userId}`;
}

export function balanceKey(workspaceId: string, userId: string, currencyId: string) {
  return { pk: userStatePk(workspaceId, userId), sk: `BAL#${currencyId}` };
}

export function transactionKey(workspaceId: string, userId: string, transactionId: string) {
  return { pk: userStatePk(workspaceId, userId), sk: `VTX#${transactionId}` };
}

export function transactionHistoryIndex(workspaceId: string, userId: string, createdAt: string, transactionId: string) {
  return { gsi1pk: `${userStatePk(workspaceId, userId)}#VTX`, gsi1sk: `${createdAt}#${transactionId}` };
}
