// What the science pages know about metrics without asking: the metrics of each task (as the API validates them) and
// which are better lower. Used for the editor's suggestions, the leaderboard's columns and KPI marks.
import type { Schemas } from '../api/types.js';

export const MetricsByTask: Record<string, string[]> = {
  multiclass: ['microAccuracy', 'macroAccuracy', 'logLoss', 'logLossReduction'],
  binary: ['accuracy', 'auc', 'f1Score', 'precision', 'recall', 'logLoss'],
  regression: ['rmse', 'mae', 'rSquared', 'mse'],
};

export const Tasks = Object.keys(MetricsByTask);

export function lowerIsBetter(metric: string): boolean {
  return ['logLoss', 'rmse', 'mae', 'mse'].includes(metric);
}

/** A value the API types as `number | string` (int32/double may come as text) as a number, or null. */
export function num(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Whether a metric value meets a KPI: true, false, or null when the KPI does not name it / no value. */
export function meets(kpi: Schemas['Kpi'], value: number | null): boolean | null {
  if (value === null) return null;
  const min = num(kpi.min);
  const max = num(kpi.max);
  return (min === null || value >= min) && (max === null || value <= max);
}

/** A KPI as text: "≥ 0.7", "≤ 0.5", "0.2–0.8". */
export function kpiText(kpi: Schemas['Kpi']): string {
  const min = num(kpi.min);
  const max = num(kpi.max);
  if (min !== null && max !== null) return `${min}–${max}`;
  if (min !== null) return `≥ ${min}`;
  if (max !== null) return `≤ ${max}`;
  return '';
}
