// Helpers the run's charts share. ECharts' aria component writes its own generated description over <o-chart>'s
// label (on the same element), so each chart gives ECharts the label as its description too.
import type { EChartsOption } from '../charts/echarts.js';

export function labelled(option: EChartsOption, label: string): EChartsOption {
  return { ...option, aria: { enabled: true, label: { description: label } } };
}
