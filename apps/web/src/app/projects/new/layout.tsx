import type { Metadata } from "next";

export const metadata: Metadata = { title: "Add a project" };

export default function Layout({ children }: { children: React.ReactNode }) {
  return children;
}
