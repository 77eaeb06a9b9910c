// The test command starts the server and the tests together: wait for it to answer.
export default async function waitForServer() {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch("http://127.0.0.1:3000/healthz");
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("server did not start within 120 s");
}
