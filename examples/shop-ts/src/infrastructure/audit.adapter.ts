export class AuditLog {
  constructor(private readonly sink: unknown) {}

  async write(entry: unknown): Promise<void> {
    void this.sink;
    void entry;
  }
}
