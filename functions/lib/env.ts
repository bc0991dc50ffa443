import * as z from 'zod';

/**
 * Configuration fails fast: each function reads its environment once, at cold start, and a
 * missing or malformed variable stops it with the variable's name.
 */
const envSchema = z.object({
  TABLE_NAME: z.string().min(1),
  /** Only set locally: DynamoDB Local's URL. In AWS the SDK finds the regional endpoint. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).default('eu-central-1'),
  /** Seconds a warm function keeps tenant configuration before reading it again. */
  CONFIG_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(15),
  /**
   * The staff user pool, set only for the functions that create and delete staff accounts; unset,
   * no Cognito client is built. (The local stack passes its own issuer's directory instead.)
   */
  USER_POOL_ID: z
    .string()
    .regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'must be a Cognito user pool id such as eu-central-1_AbC123')
    .optional(),
});

export type Env = z.infer<typeof envSchema>;

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const names = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid environment: ${names}`);
  }
  return result.data;
}
