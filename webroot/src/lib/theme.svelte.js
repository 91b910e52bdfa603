const stored = () => localStorage.getItem('theme');
const systemDark = () => matchMedia('(prefers-color-scheme: dark)').matches;

export const theme = $state({ dark: (stored() ?? (systemDark() ? 'dark' : 'light')) === 'dark' });

export function applyTheme() {
  document.documentElement.classList.toggle('dark', theme.dark);
}

export function toggleTheme() {
  theme.dark = !theme.dark;
  localStorage.setItem('theme', theme.dark ? 'dark' : 'light');
  applyTheme();
}
