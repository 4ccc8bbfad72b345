// Plays a stream in headless Chromium through the gateway's player page (hls.js) and reports
// what the <video> element did, as one JSON line on stdout.
//   node play-check.mjs <page url> <seconds to reach> <timeout seconds>
// Env OVERLAY_CHROMIUM: the browser binary (default /usr/bin/chromium).
// Output: {"currentTime","stalls","waitingEvents","errors","started","playedFor"}; exit 0 when the
// page loaded, whatever the video did (the C# test judges the numbers).
import { chromium } from 'playwright-core'

const [url, reachText, timeoutText] = process.argv.slice(2)
const reach = Number(reachText)
const timeoutMs = Number(timeoutText) * 1000

const browser = await chromium.launch({
  executablePath: process.env.OVERLAY_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required', '--mute-audio']
})
try {
  const page = await browser.newPage()
  const console = []
  page.on('console', m => { if (console.length < 50) console.push(m.text()) })
  // Counted from the first "playing": a stall is a "waiting" after playback began.
  await page.addInitScript(() => {
    window.__play = { started: 0, waiting: 0, stalled: 0, startedAt: 0 }
    document.addEventListener('playing', () => { if (!window.__play.started) { window.__play.started = 1; window.__play.startedAt = performance.now() } }, true)
    document.addEventListener('waiting', () => { if (window.__play.started) window.__play.waiting++ }, true)
    document.addEventListener('stalled', () => { if (window.__play.started) window.__play.stalled++ }, true)
  })
  await page.goto(url, { waitUntil: 'load' })
  const deadline = Date.now() + timeoutMs
  let state
  for (;;) {
    state = await page.evaluate(() => {
      const v = document.querySelector('video')
      return {
        currentTime: v.currentTime,
        waitingEvents: window.__play.waiting,
        stalls: window.__play.stalled,
        started: window.__play.started === 1,
        playedFor: window.__play.started ? (performance.now() - window.__play.startedAt) / 1000 : 0,
        errors: (window.overlayPlayer && window.overlayPlayer.errors) || [],
        paused: v.paused,
        readyState: v.readyState
      }
    })
    if (state.currentTime >= reach || state.errors.length > 0 || Date.now() > deadline) break
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  state.console = console
  process.stdout.write(JSON.stringify(state) + '\n')
} finally {
  await browser.close()
}
