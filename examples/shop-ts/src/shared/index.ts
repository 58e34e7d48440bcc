// Shared helpers: no layer. Imports from here are allowed everywhere.
export const round = (value: number): number => Math.round(value * 100) / 100;
