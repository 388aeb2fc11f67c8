import type { StudyPoint } from './study-plan';

/** One finished run in `results.jsonl`: its point, its status and the trainer's summary numbers. */
export interface StudyRow extends StudyPoint {
  /** 'ok', or 'diverged' (a result of the study too: that η was too large). */
  readonly status: 'ok' | 'diverged';
  readonly preset: string;
  readonly steps: number;
  readonly train_loss: number | null;
  readonly test_metric: number | null;
  readonly test_metric_name: string | null;
  readonly top_eigenvalue: number | null;
  readonly trace_hessian: number | null;
  readonly implicit_regularizer: number | null;
  readonly params_l2: number | null;
  readonly wall_s: number;
  readonly finished_at: string;
}
