import { parseArgs } from 'node:util';
import { createDynamoClients } from '#functions/adapters/dynamo';
import { DynamoStore } from '#functions/adapters/store';
import { applyTenantFile, TenantFileError } from './app.ts';

const usage = `usage: npm run tenant -- apply <file.json> [--table NAME] [--endpoint URL | --aws] [--region REGION]

Creates or updates a tenant from a file. Targets the local stack by default
(http://localhost:$DYNAMODB_PORT, table $TABLE_NAME); --aws targets a deployed table
with your AWS credentials (use --table with the stack's TableName output).`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    table: { type: 'string' },
    endpoint: { type: 'string' },
    aws: { type: 'boolean', default: false },
    region: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const [command, file] = positionals;
if (values.help || command !== 'apply' || !file) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}

const endpoint = values.aws ? undefined : (values.endpoint ?? `http://localhost:${process.env.DYNAMODB_PORT ?? 8000}`);
const region = values.region ?? process.env.AWS_REGION ?? 'eu-central-1';
const tableName = values.table ?? process.env.TABLE_NAME ?? 'kairos';
const { client, doc } = createDynamoClients({ region, endpoint });
try {
  const result = await applyTenantFile(new DynamoStore(client, doc, tableName, { configTtlMs: 0 }), file, Date.now());
  console.log(
    `Applied tenant "${result.tenantId}" to ${tableName} at ${endpoint ?? `AWS ${region}`}: ` +
      `${result.services} services, ${result.providers} providers` +
      (result.deactivated.length ? `; deactivated ${result.deactivated.join(', ')}` : ''),
  );
} catch (error) {
  console.error(error instanceof TenantFileError ? error.message : `Could not apply ${file}: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  client.destroy();
}
