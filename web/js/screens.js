// Show one of the screens that plain JS owns (Boards, Account) and mark its navigation button; Python's
// `app.dom.show` does the same for the screens it owns.
export function showScreen(name) {
  for (const section of document.querySelectorAll("main > .screen")) section.hidden = section.id !== `screen-${name}`;
  for (const button of document.querySelectorAll("header nav button")) button.removeAttribute("aria-current");
  document.getElementById(`nav-${name}`).setAttribute("aria-current", "page");
}
