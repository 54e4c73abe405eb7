// The Piscina baseline's task: answers at once, as the bare fork child does.
export default function noop(input: { id: number }): { id: number; done: true } {
  return { id: input.id, done: true }
}
