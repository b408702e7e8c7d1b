// ECharts with only the modules the portal draws (tree-shaken core). Imported only by pages that chart, so it lands in
// their lazy chunks, never in the shell.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, ScatterChart, ParallelChart, HeatmapChart, CustomChart, GraphChart } from 'echarts/charts';
import {
  GridComponent, TooltipComponent, LegendComponent, TitleComponent, VisualMapComponent, DataZoomComponent,
  MarkLineComponent, MarkAreaComponent, ParallelComponent, DatasetComponent, AriaComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart, LineChart, ScatterChart, ParallelChart, HeatmapChart, CustomChart, GraphChart,
  GridComponent, TooltipComponent, LegendComponent, TitleComponent, VisualMapComponent, DataZoomComponent,
  MarkLineComponent, MarkAreaComponent, ParallelComponent, DatasetComponent, AriaComponent, CanvasRenderer,
]);

export { echarts };
export type EChartsOption = echarts.EChartsCoreOption;
