// A story's address: its project and its number, as people name it ("#4 in drover").
export function storyHref(projectId: number, storyNumber: number): string {
  return `/projects/${projectId}/stories/${storyNumber}`;
}
