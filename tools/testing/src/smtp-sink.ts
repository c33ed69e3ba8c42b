import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type SmtpSink = {
  url: string;
  /** Every message the server accepted, parsed. */
  received: ParsedMail[];
  /** Makes the server refuse the next `count` messages, as a mail server in trouble does. */
  refuseNext: (count: number) => void;
  close: () => Promise<void>;
};

/**
 * A real SMTP server for tests, on 127.0.0.1 unless `host` says otherwise (the address of a
 * container network's gateway, for containers to reach): what the shop sends arrives here, parsed.
 */
export async function startSmtpSink(host = '127.0.0.1'): Promise<SmtpSink> {
  const received: ParsedMail[] = [];
  let refusals = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const refuse = refusals > 0;
      if (refuse) refusals -= 1;
      simpleParser(stream)
        .then((mail) => {
          if (refuse) {
            callback(Object.assign(new Error('mailbox busy, try later'), { responseCode: 451 }));
            return;
          }
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return {
    url: `smtp://${host}:${port}`,
    received,
    refuseNext: (count) => {
      refusals = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
