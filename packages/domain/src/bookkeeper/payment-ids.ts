/** Payment ids numbered in first-seen order (0, 1, …): events store the number, not the text. */
export class PaymentIds {
  private readonly numbers = new Map<string, number>();
  private readonly texts: string[] = [];

  get count(): number {
    return this.texts.length;
  }

  /** The number of `text`; -1 when never added. */
  find(text: string): number {
    return this.numbers.get(text) ?? -1;
  }

  /** The number of `text`, numbered now if new. */
  add(text: string): number {
    let id = this.numbers.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.numbers.set(text, id);
      this.texts.push(text);
    }
    return id;
  }

  textOf(id: number): string {
    return this.texts[id]!;
  }
}
