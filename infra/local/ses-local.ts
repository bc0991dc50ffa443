import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type serveSesType from 'aws-ses-v2-local';

export interface SesLocal {
  /** The SES API endpoint, for `createSesClient({ endpoint })`. */
  endpoint: string;
  /** The web inbox (also `GET <endpoint>/store` for the stored mails as JSON). */
  inboxUrl: string;
  stop(): Promise<void>;
}

interface StoredEmail {
  messageId: string;
  raw?: string;
}

// aws-ses-v2-local is CommonJS with `exports.default = server`. Node's ESM import of it yields the
// whole exports object as the default, while its typings promise the function; require() is
// unambiguous under tsx, vitest and plain node alike.
const require = createRequire(import.meta.url);
const { default: serveSes } = require('aws-ses-v2-local') as { default: typeof serveSesType };
const sesStore = require('aws-ses-v2-local/dist/store') as { getStoreReadonly(): { emails: StoredEmail[] } };

/**
 * Starts aws-ses-v2-local in this process (its package exports the server function, so there is
 * no child process to leave behind). Port 0 picks a free port.
 *
 * One addition to the upstream server: it stores SendRawEmail mails only as mailparser's reading
 * of them, which loses every header but a few and the parameters of each part (a calendar part's
 * `method=REQUEST` among them), and its `/get-emlContent` re-renders that reading with attachments
 * base64-encoded twice. So each stored mail sent with SendRawEmail also gets `raw`: the message
 * exactly as sent, base64, the same encoding SES's `RawMessage.Data` uses on the wire.
 */
export async function startSesLocal(options: { port: number; host?: string }): Promise<SesLocal> {
  const host = options.host ?? '127.0.0.1';
  const server: Server = await serveSes({ port: options.port, host });
  // The upstream server resolves even when listen fails (Express 5 hands the error to the listen
  // callback, which ignores it): a port in use would otherwise look like a running SES.
  if (!server.listening) throw new Error(`Local SES could not listen on ${host}:${options.port} (is the port in use?)`);
  keepRawMessages(server);

  const { port } = server.address() as AddressInfo;
  const wildcard = host === '0.0.0.0' || host === '::';
  const endpoint = `http://${wildcard ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host}:${port}`;
  const inboxUrl = wildcard ? `http://localhost:${port}/` : `${endpoint}/`;

  const answer = await fetch(`${endpoint}/health-check`).catch((error: Error) => error);
  if (answer instanceof Error || !answer.ok) {
    await close(server);
    throw new Error(`Local SES does not answer on ${endpoint}: ${answer instanceof Error ? answer.message : answer.status}`);
  }
  return { endpoint, inboxUrl, stop: () => close(server) };
}

/** Adds the raw MIME to each SendRawEmail mail in the store (see startSesLocal). */
function keepRawMessages(server: Server) {
  const [app] = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  if (!app) throw new Error('aws-ses-v2-local: no request handler to wrap');
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage & { body?: Record<string, unknown> }, res: ServerResponse) => {
    if (req.method === 'POST' && (req.url === '/' || req.url?.startsWith('/?'))) {
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      // The handler saves the mail, then answers with the SES XML that carries its MessageId; the
      // body parser has put the form fields on req.body by then.
      res.end = ((...args: unknown[]) => {
        const data = req.body?.['RawMessage.Data'];
        const answer = args[0];
        const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(typeof answer === 'string' || Buffer.isBuffer(answer) ? answer.toString() : '')?.[1];
        if (req.body?.Action === 'SendRawEmail' && typeof data === 'string' && messageId) {
          const stored = sesStore.getStoreReadonly().emails.find((email) => email.messageId === messageId);
          if (stored) stored.raw = data;
        }
        return end(...args);
      }) as ServerResponse['end'];
    }
    app(req, res);
  });
}

function close(server: Server) {
  return new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // SDK clients and the inbox page keep connections alive; close() alone would wait for them.
    server.closeAllConnections();
  });
}
