import { plantMonitorSeconds } from './plant-monitor.options';

describe('SAMPLE_PLANT_MONITOR_SECONDS', () => {
  it.each([
    [undefined, 60],
    ['', 60],
    ['0', 0],
    ['1', 1],
    ['86400', 86400],
  ])('reads %p as %p', (value, seconds) => {
    expect(plantMonitorSeconds(value)).toBe(seconds);
  });

  it.each(['-1', '1.5', 'soon', '86401', '1e3x'])(
    'refuses %p with one line naming the variable',
    (value) => {
      expect(() => plantMonitorSeconds(value)).toThrow(
        `SAMPLE_PLANT_MONITOR_SECONDS must be a whole number of seconds from 0 (off) to 86400 (got "${value}")`,
      );
    },
  );

  it('quotes at most 40 characters of a long value', () => {
    expect(() => plantMonitorSeconds('x'.repeat(5000))).toThrow(`(got "${'x'.repeat(40)}")`);
  });
});
