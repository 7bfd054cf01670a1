import QRCode from 'qrcode';

/**
 * QR codes of share links and fwknop's key text, through the `qrcode` package: as an SVG the
 * window shows (no script, no external reference), and as text for a terminal. Error correction
 * M keeps a code readable from a screen with a little glare and still fits a link with secrets.
 */
export class QrCodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QrCodeError';
  }
}

const OPTIONS = { errorCorrectionLevel: 'M', margin: 2 } as const;

export async function qrSvg(text: string): Promise<string> {
  return render(() => QRCode.toString(text, { ...OPTIONS, type: 'svg' }));
}

/** Two rows of modules per line of text, so a code fits an 80-column terminal. */
export async function qrTerminal(text: string): Promise<string> {
  const art = await render(() =>
    QRCode.toString(text, { ...OPTIONS, type: 'terminal', small: true }),
  );
  // The package ends with a line of colour codes only and no newline: drop it, end the last row.
  // eslint-disable-next-line no-control-regex
  const visible = (line: string): boolean => line.replace(/\x1b\[[0-9;]*m/g, '') !== '';
  return `${art.split('\n').filter(visible).join('\n')}\x1b[0m\n`;
}

async function render(make: () => Promise<string>): Promise<string> {
  try {
    return await make();
  } catch (error) {
    throw new QrCodeError(
      `this is too long for a QR code (${(error as Error).message}); use the link or the file instead`,
    );
  }
}
