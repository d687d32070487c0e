// Mail in the end-to-end tests: an SMTP sink on the port the server mails to (SMTP_URL), and a
// reader for the MIME parts lettre writes.
import net from 'node:net';

/** A minimal SMTP server on SMTP_PORT: answers the dialogue and hands each message over. */
export function smtpSink(port) {
  const messages = [];
  const waiting = [];
  const server = net.createServer((socket) => {
    let data = false;
    let buffer = '';
    let message = '';
    socket.write('220 sink ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data) {
          if (line === '.') {
            data = false;
            socket.write('250 queued\r\n');
            const w = waiting.shift();
            if (w) w(message); else messages.push(message);
            message = '';
          } else {
            message += `${line}\r\n`;
          }
        } else if (/^(EHLO|HELO)/i.test(line)) socket.write('250-sink\r\n250 8BITMIME\r\n');
        else if (/^DATA/i.test(line)) { data = true; socket.write('354 go ahead\r\n'); }
        else if (/^QUIT/i.test(line)) { socket.write('221 bye\r\n'); socket.end(); }
        else socket.write('250 ok\r\n');
      }
    });
  });
  return {
    listen: () => new Promise((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: () => new Promise((resolve) => server.close(resolve)),
    next: () => (messages.length ? Promise.resolve(messages.shift()) : new Promise((r) => waiting.push(r))),
  };
}


/** Quoted-printable undone (soft breaks and =XX escapes, as UTF-8). */
export function unquote(text) {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** The decoded body of the first part whose Content-Type is `type` (text/plain, text/calendar). */
export function part(mail, type) {
  for (const chunk of mail.split(/\r\n--/)) {
    const split = chunk.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = chunk.slice(0, split).toLowerCase();
    if (!head.includes(`content-type: ${type}`)) continue;
    const body = chunk.slice(split + 4);
    if (head.includes('content-transfer-encoding: base64')) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (head.includes('content-transfer-encoding: quoted-printable')) return unquote(body);
    return body;
  }
  return null;
}

/** The mail's first recipient, from its To header. */
export function recipient(mail) {
  return mail.match(/^To: .*?<?([^\s<>]+@[^\s<>]+)>?\r?$/mi)?.[1];
}
