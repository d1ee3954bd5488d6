/** A dashboard table as a CSV file the browser downloads (no server round trip: the figures are already on the page). */
import Papa from 'papaparse';

export function downloadCsv(fileName: string, header: string[], rows: string[][]): void {
  // Papa Parse quotes what needs quoting (a comma in a decimal, a quote in a UPT's name); CRLF as spreadsheets expect.
  const text = Papa.unparse({ fields: header, data: rows }, { newline: '\r\n' });
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // After the click has handed the file to the browser's download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
