// Who the dashboard is (docs/security.md). With Auth:Mode=jwt the page needs a token: from the URL
// fragment (#token=..., never sent to the server, so not in its logs), from this tab's session
// storage, or from the sign-in box. With Auth:Mode=none there is none and nothing is asked.

const TOKEN_KEY = "ticker.token.v1";
let token = null;

export function currentToken() {
  return token;
}

/** Headers for the HTTP API: the bearer token when there is one. */
export function authHeaders() {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** "jwt" or "none", as the hub says at /api/auth-mode (an older hub without it is open). */
export async function authMode() {
  try {
    const response = await fetch("/api/auth-mode", { headers: { accept: "application/json" } });
    return response.ok ? (await response.json()).mode : "none";
  } catch {
    return "none";
  }
}

/** A token from #token=... (then removed from the address bar) or from this tab's earlier sign-in. */
export function tokenFromPage() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    keep(decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
  } else {
    token = sessionStorage.getItem(TOKEN_KEY);
  }
  return token;
}

/** Shows the sign-in box with a reason and resolves with the token pasted into it. */
export function askForToken(reason) {
  const dialog = document.getElementById("signin");
  const input = document.getElementById("signin-token");
  document.getElementById("signin-reason").textContent = reason;
  input.value = "";
  if (!dialog.open) dialog.showModal();
  return new Promise(resolve => {
    dialog.querySelector("form").addEventListener("submit", e => {
      e.preventDefault();
      const value = input.value.trim();
      if (!value) return;
      dialog.close();
      keep(value);
      resolve(value);
    }, { once: true });
  });
}

function keep(value) {
  token = value;
  sessionStorage.setItem(TOKEN_KEY, value);
}
