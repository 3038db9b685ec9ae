import { Injectable } from '@nestjs/common';

export interface ConsumerHealthSource {
  health(): Record<string, { running: boolean; lastError: string | null }>;
}

/** Where a service's bus consumers report in, so readiness can include them. */
@Injectable()
export class ConsumerHealthRegistry {
  private readonly sources: ConsumerHealthSource[] = [];

  track(source: ConsumerHealthSource): void {
    this.sources.push(source);
  }

  /** Names of consumers that are stopped or whose last fetch failed, with why. */
  problems(): string[] {
    const problems: string[] = [];
    for (const source of this.sources) {
      for (const [name, h] of Object.entries(source.health())) {
        if (!h.running) problems.push(`${name}: not running`);
        else if (h.lastError) problems.push(`${name}: ${h.lastError}`);
      }
    }
    return problems;
  }
}
