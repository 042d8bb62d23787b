// Real files made by real writers, for the attachment specs: Chromium prints the PDF and takes
// the PNG/JPEG screenshots, the `docx` and `exceljs` packages write Office files, JSZip a ZIP.
import { Browser } from '@playwright/test';
import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type RealFiles = Record<'pdf' | 'png' | 'jpg' | 'docx' | 'xlsx' | 'zip' | 'exe' | 'empty' | 'big', string>;

export async function makeRealFiles(browser: Browser): Promise<RealFiles> {
  const dir = mkdtempSync(join(tmpdir(), 'ss-files-'));
  const at = (name: string) => join(dir, name);

  const page = await browser.newPage();
  await page.setContent('<h1>Акт приёмки</h1><p>Поставка 21573344 от 25.04.2023</p>');
  writeFileSync(at('act.pdf'), await page.pdf());
  writeFileSync(at('screen.png'), await page.screenshot({ type: 'png' }));
  writeFileSync(at('photo.jpg'), await page.screenshot({ type: 'jpeg', quality: 70 }));
  await page.close();

  const doc = new Document({ sections: [{ children: [new Paragraph('Претензия по поставке 21573344')] }] });
  writeFileSync(at('claim.docx'), await Packer.toBuffer(doc));

  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Баркоды').addRows([['Артикул', 'Баркод'], [13334921, '2008500000237']]);
  writeFileSync(at('barcodes.xlsx'), Buffer.from(await wb.xlsx.writeBuffer()));

  const zip = new JSZip();
  zip.file('readme.txt', 'Фото упаковки');
  writeFileSync(at('photos.zip'), await zip.generateAsync({ type: 'nodebuffer' }));

  // A Windows executable renamed to .pdf: MZ header, then padding.
  const exe = Buffer.alloc(4096);
  exe.write('MZ', 0, 'latin1');
  writeFileSync(at('invoice.pdf'), exe);
  writeFileSync(at('empty.png'), Buffer.alloc(0));
  // 11 MiB that starts like a real PDF: only the size is wrong.
  const big = Buffer.alloc(11 * 1024 * 1024, 0x20);
  big.write('%PDF-1.7\n', 0, 'latin1');
  writeFileSync(at('big.pdf'), big);

  return {
    pdf: at('act.pdf'), png: at('screen.png'), jpg: at('photo.jpg'), docx: at('claim.docx'),
    xlsx: at('barcodes.xlsx'), zip: at('photos.zip'), exe: at('invoice.pdf'), empty: at('empty.png'),
    big: at('big.pdf'),
  };
}
