/*
 * Common Swedish names, and some of the names of people who have moved to Sweden, for the demo
 * persons and staff. Kept as one string each so the lists stay readable.
 */

const words = (text: string): readonly string[] => text.trim().split(/\s+/);

export const FEMALE_NAMES = words(`
  Anna Eva Maria Karin Kerstin Ingrid Birgitta Margareta Elisabeth Marie Lena Kristina Inger Sara
  Emma Malin Johanna Linnea Elin Ida Julia Hanna Maja Ella Alice Wilma Ebba Saga Astrid Signe
  Greta Märta Gunilla Ulla Britt Siv Agneta Camilla Louise Frida Amina Fatima Leyla Sofia Olivia
  Agnes Tove Sanna Annika Helena
`);

export const MALE_NAMES = words(`
  Lars Anders Per Johan Karl Erik Nils Jan Lennart Olof Hans Bengt Sven Gunnar Göran Stig Bo
  Mikael Magnus Fredrik Daniel Jonas Andreas Oskar Viktor Emil Axel Filip Hugo Elias Liam Noah
  William Lucas Oliver Arvid Ture Sixten Åke Rune Leif Mohammed Ali Ahmed Omar Adam Isak Melvin
  Tobias Patrik
`);

export const SURNAMES = words(`
  Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson
  Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Olofsson
  Lindström Lindqvist Lindgren Axelsson Berg Bergström Lundberg Lind Lundgren Lundqvist Mattsson
  Berglund Fredriksson Sandberg Henriksson Forsberg Sjöberg Wallin Engström Eklund Danielsson
  Lundin Håkansson Björk Bergman Gunnarsson Holm Wikström Samuelsson Isaksson Fransson Bergqvist
  Nyström Holmberg Arvidsson Löfgren Söderberg Nyberg Blomqvist Claesson Nordström Mårtensson
  Lundström Ali Mohammed Hassan Ahmed Yilmaz Nguyen Kovač Virtanen Korhonen Abdi Haddad Rahimi
`);
