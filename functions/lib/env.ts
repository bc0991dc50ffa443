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
  /**
   * The secret manage tokens are derived from (functions/adapters/links.ts), given as plain text:
   * for local runs and tests, which otherwise use a fixed development secret. The cloud stack never
   * sets it; its functions read the secret through LINK_SECRET_ARN.
   */
  LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * In AWS: the Secrets Manager secret that holds the link secret, so it is in neither the template
   * nor the function's configuration. Only the functions that derive manage tokens or links get it
   * (and the permission to read it); they fetch it once per cold start
   * (functions/adapters/link-secret.ts). When set, it wins over LINK_SECRET.
   */
  LINK_SECRET_ARN: z
    .string()
    .regex(/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:[\w/+=.@-]+$/, 'must be a Secrets Manager secret ARN')
    .optional(),
  /** Where the web apps live; manage links in mails point there. */
  PUBLIC_BASE_URL: z.url().default('http://localhost:3000'),
  /** The sending address (a verified SES identity); mails show the business's name with it. */
  MAIL_FROM: z.email().default('bookings@kairos.localhost'),
  /** Only set locally: the local SES endpoint. */
  SES_ENDPOINT: z.url().optional(),
  /** The SES configuration set whose events (bounces, complaints) reach the suppression list. */
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
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
