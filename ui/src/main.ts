// Tessera's window: wires the list, the dialogs and the shell's events together.

import { events } from "./bindings";
import { openAdd, setupAdd } from "./add";
import { confirmDelete, openDetails, setupDetails } from "./details";
import { byId } from "./dom";
import { reload, setupList } from "./list";
import { setupSettings } from "./settings";

let reloadTimer = 0;
function reloadSoon(): void {
  // One reload for the several file events a single write makes.
  window.clearTimeout(reloadTimer);
  reloadTimer = window.setTimeout(() => void reload(), 80);
}

function add(): void {
  openAdd(() => void reload());
}

setupAdd();
setupDetails(() => void reload());
setupList({ openDetails, confirmDelete }, add);
byId("add-button").addEventListener("click", add);
void events.vaultChanged.listen(reloadSoon);
void reload();
setupSettings();
byId<HTMLInputElement>("search").focus();
