/**
 * Bells through Web Audio: a struck-bell tone (a sine with a fast attack and a long decay plus a
 * quieter overtone), no audio files to load. Browsers let a page make sound only after the user
 * has interacted with it, so the audio context is created on the first pointer or key press.
 */
let context: AudioContext | null = null;
let listening = false;

const BELL_SPACING_S = 0.45;

function unlock(): void {
  if (!context) context = new AudioContext();
  if (context.state === "suspended") void context.resume();
}

/** Call once on mount: the next user gesture on the page enables sound. */
export function prepareBells(): void {
  if (listening || typeof window === "undefined") return;
  listening = true;
  window.addEventListener("pointerdown", unlock, { once: true, capture: true });
  window.addEventListener("keydown", unlock, { once: true, capture: true });
}

function strike(audio: AudioContext, at: number): void {
  for (const [frequency, level] of [
    [880, 0.35],
    [2_200, 0.08],
  ] as const) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(level, at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 1.4);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(at);
    oscillator.stop(at + 1.5);
  }
}

export function ringBells(count: number): void {
  const audio = context;
  if (audio?.state !== "running") return;
  for (let bell = 0; bell < count; bell++) strike(audio, audio.currentTime + bell * BELL_SPACING_S);
}
