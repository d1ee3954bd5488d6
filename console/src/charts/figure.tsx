/**
 * One dashboard figure: a chart, the table of the same figures under it (what a screen reader
 * reads, and what the CSV holds, cell for cell), and the CSV download of that table.
 */
import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { downloadCsv } from './csv';

interface Column<Row> {
  label: string;
  value: (row: Row) => string | number | null;
}

interface FigureProps<Row> {
  /** The element ID, and the CSV file's name. */
  id: string;
  title: string;
  chart: ReactNode;
  columns: Column<Row>[];
  rows: Row[];
  /** Appended to the file name, such as the months shown. */
  fileSuffix: string;
}

export function ChartFigure<Row>({ id, title, chart, columns, rows, fileSuffix }: FigureProps<Row>) {
  const { t, language } = useI18n();
  const number = new Intl.NumberFormat(language === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: 2 });
  const cell = (value: string | number | null) => (value === null ? '—' : typeof value === 'number' ? number.format(value) : value);
  const header = columns.map((column) => column.label);
  const cells = rows.map((row) => columns.map((column) => cell(column.value(row))));
  return (
    <figure id={id} className="grafik" aria-labelledby={`${id}-judul`}>
      <figcaption id={`${id}-judul`}>
        <h2>{title}</h2>
      </figcaption>
      {rows.length === 0 ? (
        <p>{t('dasbor.tidak_ada_data')}</p>
      ) : (
        <>
          <div className="kanvas" aria-hidden="true">
            {chart}
          </div>
          {/* Scrolls sideways on a phone: focusable, so the keyboard can scroll it too (as Tugas's). */}
          <div className="gulir" tabIndex={0} role="region" aria-labelledby={`${id}-judul`}>
            <table className="angka">
              <caption className="kecil">{title}</caption>
              <thead>
                <tr>
                  {header.map((label) => (
                    <th key={label} scope="col">
                      {label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {cells.map((row, index) => (
                  <tr key={index}>
                    {row.map((text, column) =>
                      column === 0 ? (
                        <th key={column} scope="row">
                          {text}
                        </th>
                      ) : (
                        <td key={column}>{text}</td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button
            type="button"
            className="tautan unduh"
            aria-label={t('dasbor.unduh.label', { judul: title })}
            onClick={() => downloadCsv(`${id}-${fileSuffix}.csv`, header, cells)}
          >
            {t('dasbor.unduh')}
          </button>
        </>
      )}
    </figure>
  );
}
