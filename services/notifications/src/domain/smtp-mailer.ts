import { createTransport } from 'nodemailer';
import type { Mailer } from './sender.js';

/** A Mailer over SMTP; each message's id becomes its Message-ID, the same on every retry. */
export function smtpMailer(url: string, from: string): { mail: Mailer; close: () => void } {
  const transport = createTransport(url);
  return {
    mail: async (message) => {
      await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: `<${message.id}@bazaar>`,
      });
    },
    close: () => transport.close(),
  };
}
