import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { ZipFile } from 'yazl';
import { PAYMENT_STATUS_LABELS, PURCHASE_LABELS, type Address } from '../../core/api/credits.ts';
import { formatMoney } from '../../core/checkout.ts';
import { covers, codePoints } from '../certify/glyph-coverage.ts';
import { defaultFontRegistry, pdfFontkit, type LoadedFace } from '../certify/fonts/index.ts';
import type { BillingRow, CreditPaymentRow } from '../store/credits-types.ts';

/**
 * The invoice of a completed credits payment as a PDF (pdf-lib, the certificate area's packaged fonts: PT Sans, with
 * Noto Sans SC for text PT Sans cannot draw). It prints the billing details frozen when the invoice was numbered, so
 * the same invoice reads the same whenever it is downloaded.
 */
export async function invoicePdf(p: CreditPaymentRow, orgName: string, timeZone: string): Promise<Uint8Array> {
  if (!p.invoice_number || !p.invoice_billing || !p.invoice_issued_at) throw new Error(`payment ${p.id} has no invoice`);
  const billing = JSON.parse(p.invoice_billing) as BillingRow;
  const fonts = defaultFontRegistry();
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(pdfFontkit as unknown as Parameters<PDFDocument['registerFontkit']>[0]);
  doc.setTitle(`Invoice ${p.invoice_number}`);
  doc.setCreator('photo-finish');
  doc.setProducer('photo-finish (pdf-lib)');
  doc.setCreationDate(new Date(p.invoice_issued_at));
  doc.setModificationDate(new Date(p.invoice_issued_at));
  const embedded = new Map<string, PDFFont>();
  const embed = async (face: LoadedFace) => {
    let f = embedded.get(face.key);
    if (!f) embedded.set(face.key, (f = await doc.embedFont(face.bytes, { subset: true })));
    return f;
  };
  const regular = fonts.resolve('PT Sans', 400);
  const bold = fonts.resolve('PT Sans', 700);
  const cjk = fonts.resolve('Noto Sans SC', 400);
  /** The face for a line: PT Sans when it covers every character, else Noto Sans SC; characters neither draws become '?'. */
  const faceFor = (text: string, strong: boolean): { face: LoadedFace; text: string } => {
    const main = strong ? bold : regular;
    const cps = codePoints(text);
    if (covers(main, cps)) return { face: main, text };
    if (covers(cjk, cps)) return { face: cjk, text };
    return { face: main, text: [...text].map((ch) => (covers(main, codePoints(ch)) ? ch : '?')).join('') };
  };

  const page: PDFPage = doc.addPage([595.28, 841.89]); // A4
  const M = 56;
  let y = 841.89 - M;
  const line = async (text: string, o: { size?: number; bold?: boolean; x?: number; right?: boolean; gap?: number } = {}) => {
    const size = o.size ?? 10.5;
    const { face, text: drawn } = faceFor(text, o.bold ?? false);
    const font = await embed(face);
    const width = font.widthOfTextAtSize(drawn, size);
    const x = o.right ? 595.28 - M - width : (o.x ?? M);
    page.drawText(drawn, { x, y, size, font, color: rgb(0.1, 0.1, 0.1) });
    if (!o.gap && o.gap !== 0) y -= size * 1.45;
    else y -= o.gap;
  };
  const date = (iso: string) =>
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(iso));
  const address = (a: Address) =>
    [a.line1, a.line2, [a.postal_code, a.city].filter(Boolean).join(' '), a.region, a.country].filter((s) => s && s.trim());

  await line('INVOICE', { size: 22, bold: true, gap: 0 });
  await line(p.invoice_number, { size: 14, bold: true, right: true });
  y -= 8;
  await line(`Issued ${date(p.invoice_issued_at)}`, { gap: 0 });
  await line(`Payment ${p.id}`, { right: true });
  y -= 18;

  await line('Billed to', { bold: true });
  for (const s of [billing.company, ...address(billing.address), billing.email, billing.phone].filter(Boolean)) await line(s);
  if (billing.tax_id) await line(`Tax ID: ${billing.tax_id}`);
  if (billing.shipping_address) {
    y -= 6;
    await line('Ship to', { bold: true });
    for (const s of address(billing.shipping_address)) await line(s);
  }
  await line(`Organisation: ${orgName} (#${p.org_id})`);
  y -= 18;

  await line('Description', { bold: true, gap: 0 });
  await line('Amount', { bold: true, right: true });
  page.drawLine({ start: { x: M, y: y + 8 }, end: { x: 595.28 - M, y: y + 8 }, thickness: 0.6, color: rgb(0.6, 0.6, 0.6) });
  y -= 4;
  const money = formatMoney(p.amount, p.currency, 'en');
  await line(`${PURCHASE_LABELS[p.kind]}: ${p.description}`, { gap: 0 });
  await line(money, { right: true });
  if (p.credits) await line(`${p.credits.toLocaleString('en-US')} credits added to the balance`, { size: 9 });
  y -= 6;
  page.drawLine({ start: { x: M, y: y + 8 }, end: { x: 595.28 - M, y: y + 8 }, thickness: 0.6, color: rgb(0.6, 0.6, 0.6) });
  await line('Total', { bold: true, gap: 0 });
  await line(money, { bold: true, right: true });
  y -= 18;
  await line(`Status: ${PAYMENT_STATUS_LABELS[p.status]}${p.completed_at ? `, paid ${date(p.completed_at)}` : ''}`);
  await line(
    `Paid through: ${p.gateway === 'test' ? 'test gateway (no money moved)' : 'Stripe'}${p.gateway_payment ? ` · ${p.gateway_payment}` : ''}`,
  );
  return doc.save({ useObjectStreams: false });
}

/** Invoices as one ZIP (PDFs are already compressed: stored). */
export function invoiceZip(files: { name: string; data: Uint8Array }[]): Promise<Buffer> {
  const zip = new ZipFile();
  for (const f of files) zip.addBuffer(Buffer.from(f.data), f.name, { compress: false, mtime: new Date(0), mode: 0o100644 });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
