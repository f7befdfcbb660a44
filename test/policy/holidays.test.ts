/** Public holidays from the date-holidays library, per country and subdivision, merged with extra closed days. */
import { resolveClosedDates } from '../../policy/holidays';

describe('resolveClosedDates', () => {
  it('public holidays only, local dates, sorted; state holidays only with the subdivision', () => {
    const germany = resolveClosedDates({ country: 'DE', fromYear: 2026, toYear: 2026 });
    expect(germany).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-01',
      '2026-05-14',
      '2026-05-25',
      '2026-10-03',
      '2026-12-25',
      '2026-12-26',
    ]);
    const bavaria = resolveClosedDates({ country: 'de', subdivision: 'by', fromYear: 2026, toYear: 2026 });
    expect(bavaria).toEqual(expect.arrayContaining(['2026-01-06', '2026-06-04', '2026-11-01']));
    expect(bavaria).not.toContain('2026-02-14'); // an observance, not a public holiday
  });

  it('substitute days are closed (Boxing Day on a Saturday moves to Monday in New South Wales)', () => {
    const nsw = resolveClosedDates({ country: 'AU', subdivision: 'NSW', fromYear: 2026, toYear: 2026 });
    expect(nsw).toEqual(expect.arrayContaining(['2026-12-25', '2026-12-26', '2026-12-28']));
  });

  it('merges and deduplicates extra closed days, across several years', () => {
    const dates = resolveClosedDates({
      country: 'US',
      fromYear: 2026,
      toYear: 2027,
      extraClosedDates: ['2026-12-24', '2026-12-25', '2027-12-31'],
    });
    expect(dates).toEqual([...new Set(dates)].sort());
    expect(dates).toEqual(expect.arrayContaining(['2026-07-03', '2026-11-26', '2026-12-24', '2026-12-25', '2027-12-31']));
    expect(dates.filter((d) => d === '2026-12-25')).toHaveLength(1);
    expect(dates[0]).toBe('2026-01-01');
  });

  it('half-day public holidays do not close the day', () => {
    // China: Women's Day (8 March) is a public half day from 12:00 for women; the day stays open.
    const china = resolveClosedDates({ country: 'CN', fromYear: 2026, toYear: 2026 });
    expect(china).not.toContain('2026-03-08');
    expect(china).toEqual(expect.arrayContaining(['2026-10-01', '2026-10-02', '2026-10-03']));
  });

  it('rejects unknown countries, subdivisions, years and dates', () => {
    expect(() => resolveClosedDates({ country: 'XX', fromYear: 2026, toYear: 2026 })).toThrow(/Unknown country/);
    expect(() => resolveClosedDates({ country: 'DE', subdivision: 'ZZ', fromYear: 2026, toYear: 2026 })).toThrow(/Unknown subdivision/);
    expect(() => resolveClosedDates({ country: 'DE', fromYear: 2027, toYear: 2026 })).toThrow(/year range/);
    expect(() => resolveClosedDates({ country: 'DE', fromYear: 2026, toYear: 2026, extraClosedDates: ['2026-13-01'] })).toThrow(
      /Invalid date/,
    );
  });
});
